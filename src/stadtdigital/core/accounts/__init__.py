"""Staff accounts: login throttle, password reset, two-factor, single sign-on (decision 0019)."""
