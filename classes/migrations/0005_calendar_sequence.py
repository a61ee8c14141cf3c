from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("classes", "0004_seats_at_most_100"),
    ]

    operations = [
        migrations.AddField(
            model_name="virtualclass",
            name="sequence",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Raised on every change of time or status, for calendars.",
            ),
        ),
    ]
