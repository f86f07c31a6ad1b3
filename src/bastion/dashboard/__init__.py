"""The live dashboard: login form, one HTML page and its bundled JS/CSS (no CDN), served by the admin App.
It reads the admin API only; no business logic here."""
