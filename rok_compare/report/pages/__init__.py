"""The report's pages: each function takes the loaded data and returns one page's HTML."""
