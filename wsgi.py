from middleware import create_app

app = create_app()
