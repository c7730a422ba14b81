FROM python:3.11-slim
WORKDIR /srv/cqf
COPY pyproject.toml README.md ./
COPY app ./app
COPY graph_schema ./graph_schema
COPY seed_data ./seed_data
COPY ontology ./ontology
RUN pip install --no-cache-dir -e .
ENV CQF_HOST=0.0.0.0 CQF_PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=12 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health/ready').status == 200 else 1)"
CMD ["cqf", "serve"]
