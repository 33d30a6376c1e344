"""End-to-end tests: the real bot process against a local Telegram Bot API emulator."""
