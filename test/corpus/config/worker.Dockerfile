# expect-next-line: config.unpinned-base-image, config.container-runs-as-root
FROM python
RUN pip install --no-cache-dir celery==5.3.6
COPY worker.py /srv/worker.py
# Dropping privileges is left for later
CMD ["celery", "-A", "worker", "worker"]
