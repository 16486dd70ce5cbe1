"""migrate: verified rewrites between PyTorch and MindSpore learning-rate schedules."""

__version__ = "0.2.0"
