#!/usr/bin/env python
"""Same as the `xiaoneng` command, for those who expect manage.py."""

from xiaoneng.cli import main

if __name__ == "__main__":
    main()
