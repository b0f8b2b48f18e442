# Tracked units are registered through services.tracked_unit_register (audited); no admin.
