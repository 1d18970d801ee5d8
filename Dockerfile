# Production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=0
WORKDIR /app
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
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
