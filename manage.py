#!/usr/bin/env python
from palermo.cli import main

if __name__ == "__main__":
    main()
