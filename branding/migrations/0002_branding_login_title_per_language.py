from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("branding", "0001_branding"),
    ]

    operations = [
        migrations.AlterField(
            model_name="branding",
            name="login_title",
            field=models.CharField(blank=True, max_length=100, verbose_name="login title in Dutch"),
        ),
        migrations.AddField(
            model_name="branding",
            name="login_title_fr",
            field=models.CharField(blank=True, max_length=100, verbose_name="login title in French"),
        ),
        migrations.AddField(
            model_name="branding",
            name="login_title_en",
            field=models.CharField(blank=True, max_length=100, verbose_name="login title in English"),
        ),
    ]
