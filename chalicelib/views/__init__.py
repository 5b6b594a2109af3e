"""The HTTP routes, one Chalice blueprint per area (issue 11): public reads, clients' bookings, admins.
Each route is declared once through chalicelib.routing; app.py registers the blueprints and keeps the
scheduled and stream functions."""
