"""The web pages: the self-assessment, the invited respondent's questionnaire and the
consultant console, server-rendered with Jinja2 and calling the same services as the API.
`app.web.install.install_web` mounts them."""
