"""The shop's handlers (a ``webapp.App``). It trusts whoever calls it: protection is the gateway's job."""

from __future__ import annotations

import copy
import itertools
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson

from bastion.samples.shop import data
from bastion.webapp.app import AppRequest, AppResponse, Router, json_response

_NOT_FOUND = {"error": "not found"}


def build_app() -> Router:
    customers = copy.deepcopy(data.CUSTOMERS)
    orders = copy.deepcopy(data.ORDERS)
    products = data.PRODUCTS
    counter = itertools.count(5004)
    r = Router()

    @r.route("GET", "/health")
    async def health(req: AppRequest) -> AppResponse:
        return json_response({"status": "ok"})

    @r.route("GET", "/products")
    async def list_products(req: AppRequest) -> AppResponse:
        return json_response({"items": list(products.values())})

    @r.route("GET", "/products/{product_id}")
    async def get_product(req: AppRequest) -> AppResponse:
        p = products.get(req.params["product_id"])
        return json_response(p) if p else json_response(_NOT_FOUND, 404)

    @r.route("GET", "/customers/{customer_id}")
    async def get_customer(req: AppRequest) -> AppResponse:
        c = customers.get(req.params["customer_id"])
        return json_response(c) if c else json_response(_NOT_FOUND, 404)

    @r.route("GET", "/customers/{customer_id}/orders")
    async def customer_orders(req: AppRequest) -> AppResponse:
        cid = req.params["customer_id"]
        if cid not in customers:
            return json_response(_NOT_FOUND, 404)
        return json_response({"items": [o for o in orders.values() if o["customer_id"] == cid]})

    @r.route("GET", "/orders/{order_id}")
    async def get_order(req: AppRequest) -> AppResponse:
        o = orders.get(req.params["order_id"])
        return json_response(o) if o else json_response(_NOT_FOUND, 404)

    @r.route("POST", "/orders")
    async def create_order(req: AppRequest) -> AppResponse:
        try:
            body: Any = orjson.loads(req.body)
            cid = str(body["customer_id"])
            pairs = [(str(i["product_id"]), int(i["quantity"])) for i in body["items"]]
            total = sum((Decimal(products[pid]["price"]) * qty for pid, qty in pairs), Decimal(0))
            items = [{"product_id": pid, "quantity": qty} for pid, qty in pairs]
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, InvalidOperation):
            return json_response({"error": "invalid order"}, 400)
        if cid not in customers:
            return json_response({"error": "unknown customer"}, 400)
        oid = f"o-{next(counter)}"
        order = {"id": oid, "customer_id": cid, "items": items, "total": f"{total:.2f}", "status": "processing",
                 "supplier_cost": "0.00"}
        orders[oid] = order
        return json_response(order, 201)

    @r.route("POST", "/echo")
    async def echo(req: AppRequest) -> AppResponse:
        """Returns the request body's size and a digest (used by benchmarks and tests)."""
        return json_response({"received": len(req.body)})

    @r.route("GET", "/admin/stats")
    async def admin_stats(req: AppRequest) -> AppResponse:
        revenue = sum(Decimal(o["total"]) for o in orders.values())
        return json_response({"customers": len(customers), "orders": len(orders), "revenue": f"{revenue:.2f}"})

    @r.route("DELETE", "/admin/customers/{customer_id}")
    async def delete_customer(req: AppRequest) -> AppResponse:
        if customers.pop(req.params["customer_id"], None) is None:
            return json_response(_NOT_FOUND, 404)
        return AppResponse(204, [], b"")

    return r
