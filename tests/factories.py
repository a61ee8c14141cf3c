"""The factories live in learning_platform.factories (the demo data uses them too)."""

from learning_platform.factories import (
    PASSWORD,
    StaffFactory,
    TaskFactory,
    UserFactory,
    VirtualClassFactory,
    set_class_times,
    start_class,
)

__all__ = [
    "PASSWORD",
    "StaffFactory",
    "TaskFactory",
    "UserFactory",
    "VirtualClassFactory",
    "set_class_times",
    "start_class",
]
