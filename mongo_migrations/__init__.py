"""Migrations of Django's own apps (admin, auth, contenttypes) for MongoDB: ObjectId keys."""
