"""Deterministic sample data (fictional people; card numbers are standard test numbers)."""

from __future__ import annotations

from typing import Any

CUSTOMERS: dict[str, dict[str, Any]] = {
    "1001": {
        "id": "1001", "name": "Ada Lovelace", "email": "ada@example.com", "phone": "+44 20 7946 0018",
        "address": {"street": "12 St James's Square", "city": "London", "postcode": "SW1Y 4JH", "country": "GB"},
        "card_number": "4111 1111 1111 1111", "loyalty_tier": "gold",
        "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$ZmFrZWhhc2hmYWtlaGFzaA",
        "internal_notes": "VIP: call before shipping", "risk_score": 0.12,
    },
    "1002": {
        "id": "1002", "name": "Grace Hopper", "email": "grace@example.org", "phone": "+1 202 555 0143",
        "address": {"street": "1 Navy Yard", "city": "Arlington", "postcode": "22202", "country": "US"},
        "card_number": "5555 5555 5555 4444", "loyalty_tier": "silver",
        "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$b3RoZXJmYWtlaGFzaA",
        "internal_notes": "disputed chargeback 2025", "risk_score": 0.47,
    },
    "1003": {
        "id": "1003", "name": "Seán O'Brien", "email": "sean.obrien@example.net", "phone": "+353 1 555 0199",
        "address": {"street": "5 Harbour Rd", "city": "Dublin", "postcode": "D02 XY45", "country": "IE"},
        "card_number": "3782 822463 10005", "loyalty_tier": "bronze",
        "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$dGhpcmRmYWtlaGFzaA",
        "internal_notes": "", "risk_score": 0.05,
    },
}

PRODUCTS: dict[str, dict[str, Any]] = {
    "p1": {"id": "p1", "name": "Analytical Engine (kit)", "price": "249.00", "currency": "EUR", "stock": 4},
    "p2": {"id": "p2", "name": "Punched cards, box of 500", "price": "19.90", "currency": "EUR", "stock": 120},
    "p3": {"id": "p3", "name": "COBOL pocket guide", "price": "12.50", "currency": "EUR", "stock": 35},
}

ORDERS: dict[str, dict[str, Any]] = {
    "o-5001": {"id": "o-5001", "customer_id": "1001", "items": [{"product_id": "p1", "quantity": 1}],
               "total": "249.00", "status": "shipped", "supplier_cost": "120.00"},
    "o-5002": {"id": "o-5002", "customer_id": "1002", "items": [{"product_id": "p2", "quantity": 3}],
               "total": "59.70", "status": "processing", "supplier_cost": "21.00"},
    "o-5003": {"id": "o-5003", "customer_id": "1001", "items": [{"product_id": "p3", "quantity": 2}],
               "total": "25.00", "status": "delivered", "supplier_cost": "9.00"},
}
