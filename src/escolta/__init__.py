"""escolta: randomized protective-operations planning on Stackelberg security games."""

__version__ = "0.1.0"
