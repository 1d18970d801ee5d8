from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("exports", "0002_coda_statements")]

    operations = [
        migrations.AddField(
            model_name="exportsettings",
            name="export_uploaded_coda",
            field=models.BooleanField(default=False, verbose_name="also export uploaded CODA statements"),
        ),
    ]
