# Production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=0
WORKDIR /app
# pg_dump: a new firm's schema is a replay of the template schema's dump (firms/template.py)
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml ./
COPY . .
# The Billsync agent's downloads (wheel and zipapp) into /app/dist, served at /downloads/billsync/.
RUN pip install --no-cache-dir . \
 && python billsync/packaging/build_dist.py /app/dist \
 && python -m devstack.compile_messages \
 && SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --noinput
RUN useradd --create-home portal && mkdir -p /data/media && chown portal /data/media
USER portal
EXPOSE 8000
# Gunicorn, explicitly: WEB_WORKERS processes of WEB_THREADS threads (gthread: a slow client uploading does not
# hold a process), a worker that stops answering is replaced after WEB_TIMEOUT seconds. No request of the
# portal needs more than a few seconds: uploads are checked by the Celery worker.
CMD ["sh", "-c", "exec gunicorn config.wsgi --bind 0.0.0.0:8000 --workers ${WEB_WORKERS:-3} --threads ${WEB_THREADS:-4} --timeout ${WEB_TIMEOUT:-30} --graceful-timeout ${WEB_TIMEOUT:-30} --max-requests 2000 --max-requests-jitter 200 --access-logfile -"]
