"""Channels through which customer messages arrive and replies leave."""
