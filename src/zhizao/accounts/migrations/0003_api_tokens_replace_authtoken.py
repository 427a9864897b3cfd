"""Our own API tokens (hashed keys, names, expiry, revocation) replace DRF's authtoken, whose
unhashed, never-expiring keys are dropped with their table: every old token stops working."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('key_hash', models.CharField(max_length=64, unique=True)),
                ('key_prefix', models.CharField(max_length=12, verbose_name='key begins with')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                ('last_used_at', models.DateTimeField(blank=True, null=True, verbose_name='last used')),
                ('expires_at', models.DateTimeField(verbose_name='expires')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                ('revoked_reason', models.CharField(blank=True, choices=[('user', 'Revoked by its owner'), ('rotated', 'Replaced by a new token'), ('operator', 'Revoked by an operator'), ('password_changed', 'Password changed'), ('password_reset', 'Password reset by an operator'), ('user_deactivated', 'Account deactivated'), ('membership_deactivated', 'A membership was deactivated')], max_length=30, verbose_name='reason')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['user', 'revoked_at'], name='apitoken_user_revoked')],
            },
        ),
    ]
