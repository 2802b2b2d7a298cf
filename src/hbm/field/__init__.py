"""The offline field app: enrolled devices, exactly-once sync, offline edits and their conflicts."""
