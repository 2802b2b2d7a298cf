"""Pure-Python engines: no Django imports; frozen dataclasses in, frozen dataclasses out."""
