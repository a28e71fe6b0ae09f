"""Attendance: check-in at a meeting's start, coordinators' corrections, CSV imports."""
