import learning_platform.models
from django.db import migrations, models


def give_each_learner_a_token(apps, schema_editor):
    # A callable default is evaluated once for the rows already there: each needs its own.
    User = apps.get_model("learning_platform", "User")
    for user in User.objects.filter(calendar_token__isnull=True).only("pk").iterator():
        User.objects.filter(pk=user.pk).update(
            calendar_token=learning_platform.models.new_calendar_token()
        )


class Migration(migrations.Migration):

    dependencies = [
        ("learning_platform", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="time_zone",
            field=models.CharField(
                blank=True,
                max_length=64,
                validators=[learning_platform.models.validate_time_zone],
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="calendar_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_each_learner_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="calendar_token",
            field=models.CharField(
                default=learning_platform.models.new_calendar_token,
                editable=False,
                max_length=64,
                unique=True,
            ),
        ),
    ]
