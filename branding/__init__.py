"""White-label settings per firm: custom host, colours, login title, logo, favicon, login image."""
