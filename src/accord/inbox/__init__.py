"""Customers, conversations and messages: the one inbox for every channel."""
