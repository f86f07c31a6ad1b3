"""The sample API's data: an in-memory SQLite database seeded with users, products, orders and posts.

The vulnerable twin builds some SQL by string formatting on purpose (``search_products_unsafe``);
the secure twin uses the parametrised twin of each query.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from typing import Any

SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT UNIQUE, email TEXT, password_hash TEXT,
                    role TEXT DEFAULT 'user', bio TEXT DEFAULT '', api_key TEXT);
CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, description TEXT, price REAL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, owner_id INTEGER, product_id INTEGER, quantity INTEGER,
                     note TEXT DEFAULT '', total REAL);
CREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER, title TEXT, body TEXT, likes INTEGER);
CREATE TABLE reviews (id INTEGER PRIMARY KEY, product_id INTEGER, author_id INTEGER, rating INTEGER,
                      text TEXT);
CREATE TABLE coupons (code TEXT PRIMARY KEY, percent INTEGER);
"""

SEED_USERS = (
    ("alice", "alice@example.com", "alice-pass-1", "user"),
    ("bob", "bob@example.com", "bob-pass-2", "user"),
    ("admin", "admin@example.com", "admin-pass-3", "admin"),
)
PRODUCTS = (
    ("Trail shoes", "Light running shoes", 89.0),
    ("Rain jacket", "Waterproof shell", 120.0),
    ("Water bottle", "Steel, 750 ml", 19.5),
    ("Head torch", "300 lumen", 39.0),
)
USER_FIELDS = ("id", "username", "email", "role", "bio")


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 1000)
    return salt.hex() + "$" + digest.hex()


def check_password(password: str, stored: str) -> bool:
    salt_hex, _, _ = stored.partition("$")
    return hmac.compare_digest(hash_password(password, bytes.fromhex(salt_hex)), stored)


class Store:
    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.executescript(SCHEMA)
        for username, email, password, role in SEED_USERS:
            self.add_user(username, email, password, role)
        self.db.executemany("INSERT INTO products (name, description, price) VALUES (?, ?, ?)", PRODUCTS)
        self.db.execute("INSERT INTO coupons VALUES ('WELCOME10', 10)")
        for order in ((1, 1, 1, "leave at the door"), (1, 3, 2, "gift wrap"), (2, 2, 1, "")):
            self.add_order(*order)
        self.add_post(1, "Hello", "First post from alice")
        self.add_post(2, "Trip report", "Bob went hiking")

    def add_user(self, username: str, email: str, password: str, role: str = "user") -> dict[str, Any]:
        cur = self.db.execute(
            "INSERT INTO users (username, email, password_hash, role, api_key) VALUES (?, ?, ?, ?, ?)",
            (username, email, hash_password(password), role, "ak_" + secrets.token_hex(12)),
        )
        return self.user(int(cur.lastrowid or 0)) or {}

    def user(self, user_id: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return dict(row) if row else None

    def user_by_name(self, username: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()
        return dict(row) if row else None

    def users(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM users ORDER BY id")]

    def update_user(self, user_id: int, fields: dict[str, Any]) -> None:
        for key, value in fields.items():
            if key in ("email", "bio", "role", "password_hash"):
                self.db.execute(f"UPDATE users SET {key} = ? WHERE id = ?", (value, user_id))  # noqa: S608

    def delete_user(self, user_id: int) -> bool:
        return self.db.execute("DELETE FROM users WHERE id = ?", (user_id,)).rowcount > 0

    def add_order(self, owner_id: int, product_id: int, quantity: int, note: str) -> dict[str, Any]:
        price = self.db.execute("SELECT price FROM products WHERE id = ?", (product_id,)).fetchone()
        total = float(price[0]) * quantity if price else 0.0
        cur = self.db.execute(
            "INSERT INTO orders (owner_id, product_id, quantity, note, total) VALUES (?, ?, ?, ?, ?)",
            (owner_id, product_id, quantity, note, total),
        )
        return self.order(int(cur.lastrowid or 0)) or {}

    def order(self, order_id: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchone()
        return dict(row) if row else None

    def orders_of(self, owner_id: int, limit: int, offset: int) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT * FROM orders WHERE owner_id = ? ORDER BY id LIMIT ? OFFSET ?", (owner_id, limit, offset)
        )
        return [dict(r) for r in rows]

    def update_order(self, order_id: int, quantity: int, note: str) -> None:
        self.db.execute("UPDATE orders SET quantity = ?, note = ? WHERE id = ?", (quantity, note, order_id))

    def delete_order(self, order_id: int) -> None:
        self.db.execute("DELETE FROM orders WHERE id = ?", (order_id,))

    def coupon_percent(self, code: str, *, unsafe: bool) -> int:
        if unsafe:
            row = self.db.execute(f"SELECT percent FROM coupons WHERE code = '{code}'").fetchone()  # noqa: S608
        else:
            row = self.db.execute("SELECT percent FROM coupons WHERE code = ?", (code,)).fetchone()
        return int(row[0]) if row else 0

    def search_products(self, search: str, limit: int, *, unsafe: bool) -> list[dict[str, Any]]:
        if unsafe:
            sql = f"SELECT * FROM products WHERE name LIKE '%{search}%' LIMIT {limit}"  # noqa: S608
            return [dict(r) for r in self.db.execute(sql)]
        rows = self.db.execute("SELECT * FROM products WHERE name LIKE ? LIMIT ?", (f"%{search}%", limit))
        return [dict(r) for r in rows]

    def product(self, product_id: str, *, unsafe: bool) -> dict[str, Any] | None:
        if unsafe:
            row = self.db.execute(f"SELECT * FROM products WHERE id = {product_id}").fetchone()  # noqa: S608
        else:
            row = self.db.execute("SELECT * FROM products WHERE id = ?", (int(product_id),)).fetchone()
        return dict(row) if row else None

    def reviews(self, product_id: int) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT * FROM reviews WHERE product_id = ? ORDER BY id", (product_id,))
        return [dict(r) for r in rows]

    def add_review(self, product_id: int, author_id: int, rating: int, text: str) -> dict[str, Any]:
        cur = self.db.execute(
            "INSERT INTO reviews (product_id, author_id, rating, text) VALUES (?, ?, ?, ?)",
            (product_id, author_id, rating, text),
        )
        row = self.db.execute("SELECT * FROM reviews WHERE id = ?", (cur.lastrowid,)).fetchone()
        return dict(row)

    def add_post(self, author_id: int, title: str, body: str) -> dict[str, Any]:
        cur = self.db.execute(
            "INSERT INTO posts (author_id, title, body, likes) VALUES (?, ?, ?, 0)", (author_id, title, body)
        )
        return self.post(int(cur.lastrowid or 0)) or {}

    def post(self, post_id: int) -> dict[str, Any] | None:
        row = self.db.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
        return dict(row) if row else None

    def posts(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM posts ORDER BY id")]

    def delete_post(self, post_id: int) -> None:
        self.db.execute("DELETE FROM posts WHERE id = ?", (post_id,))
