"""Django's own apps with ObjectId primary keys, for MongoDB (see settings).

MongoDB has no integer auto-increment, so admin, auth and contenttypes get the backend's
ObjectIdAutoField, and migrations generated for it (mongo_migrations/).
"""

from django.contrib.auth.apps import AuthConfig
from django.contrib.contenttypes.apps import ContentTypesConfig

from learning_platform.apps import StaffAdminConfig

OBJECT_ID_AUTO_FIELD = "django_mongodb_backend.fields.ObjectIdAutoField"


class MongoAdminConfig(StaffAdminConfig):
    default_auto_field = OBJECT_ID_AUTO_FIELD


class MongoAuthConfig(AuthConfig):
    default_auto_field = OBJECT_ID_AUTO_FIELD


class MongoContentTypesConfig(ContentTypesConfig):
    default_auto_field = OBJECT_ID_AUTO_FIELD
