from world_patrols import pw  # noqa: F401
