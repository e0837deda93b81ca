"""Palermo: a National Referral Mechanism platform for victims of human trafficking."""
