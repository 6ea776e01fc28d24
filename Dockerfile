# OpsMaturity service image: `docker build -t opsmaturity .` then
# `docker run -p 8000:8000 -e OPSMATURITY_DATABASE_URL=postgresql+psycopg://... opsmaturity`
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    OPSMATURITY_HOST=0.0.0.0 \
    OPSMATURITY_PORT=8000 \
    OPSMATURITY_QUESTIONNAIRES_DIR=/app/questionnaires \
    OPSMATURITY_DATABASE_URL=sqlite:////app/data/opsmaturity.db

# WeasyPrint's libraries (libharfbuzz-subset0 makes font subsetting fast), report fonts, and
# pg_dump / pg_restore for `opsmaturity db backup|restore` on PostgreSQL.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 opsmaturity
WORKDIR /app

# An editable install keeps the repository layout, so questionnaires/ and report_templates/
# are found beside the code as they are in a checkout.
COPY pyproject.toml README.md ./
COPY scoring ./scoring
COPY app ./app
COPY questionnaires ./questionnaires
COPY report_templates ./report_templates
RUN pip install -e .
RUN mkdir -p /app/data && chown opsmaturity:opsmaturity /app/data
USER opsmaturity

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"

CMD ["opsmaturity", "serve"]
