"""The differential harness: run a training program and its conversion by ``migrate``, compare the learning rate of
every optimizer step (``differential``), on programs from ``generator`` run under ``standins`` by ``runner``."""
