"""The shared mode: one service process owns the data folder and serves the colleagues'
commands over a Unix socket; the kernel names each caller (SO_PEERCRED)."""
