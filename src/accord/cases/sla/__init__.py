"""SLA: business-hours calendars, the policy's targets, the timers derived from the timeline,
the stored next due moment, and the periodic tick that fires warnings and breaches."""
