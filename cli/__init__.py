"""The command line (argparse): one module per group of commands, over the Office only."""
