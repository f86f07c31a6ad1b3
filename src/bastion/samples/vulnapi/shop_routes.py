"""Products, reviews, orders and coupons.

Planted in the vulnerable twin: orders readable, editable and deletable by anyone signed in (BOLA);
``total`` and ``owner_id`` accepted from the client (mass assignment); SQL built by string formatting
in the product search, the product id and the coupon code (SQL injection, verbose SQL errors); page
sizes and review lengths without bounds; 204 instead of the documented empty list of reviews.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bastion.samples.vulnapi.errors import HttpError
from bastion.webapp.app import AppRequest, AppResponse, Router, json_response

if TYPE_CHECKING:
    from bastion.samples.vulnapi.app import VulnApi

MAX_PAGE = 100
MAX_REVIEW = 2000


def register(router: Router, api: VulnApi) -> None:
    def page_size(request: AppRequest, default: int = 20) -> int:
        raw = request.query.get("limit", str(default))
        if api.secure:
            if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
                raise HttpError(422, f"limit must be between 1 and {MAX_PAGE}")
        return int(raw)

    def own_order(request: AppRequest) -> tuple[dict[str, Any], dict[str, Any]]:
        user = api.caller(request)
        raw = request.params["order_id"]
        order = api.store.order(int(raw)) if raw.isdigit() else None
        if order is None or (api.secure and order["owner_id"] != user["id"]):
            raise HttpError(404, "order not found")
        return user, order

    def int_field(data: dict[str, Any], name: str, low: int, high: int) -> int:
        value = data.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise HttpError(422, f"{name} must be an integer between {low} and {high}")
        return value

    @router.route("GET", "/api/v1/orders")
    async def list_orders(request: AppRequest) -> AppResponse:
        user = api.caller(request)
        offset = request.query.get("offset", "0")
        orders = api.store.orders_of(user["id"], page_size(request), int(offset) if offset.isdigit() else 0)
        return json_response({"items": orders, "count": len(orders)})

    @router.route("POST", "/api/v1/orders")
    async def create_order(request: AppRequest) -> AppResponse:
        user = api.caller(request)
        data = api.body(request)
        note = data.get("note", "")
        if not isinstance(note, str) or (api.secure and len(note) > 500):
            raise HttpError(422, "note must be a string of at most 500 characters")
        order = api.store.add_order(user["id"], int_field(data, "product_id", 1, 10**6),
                                    int_field(data, "quantity", 1, 100), note)
        if not api.secure:
            for key in ("total", "owner_id"):
                if isinstance(data.get(key), int | float):
                    sql = f"UPDATE orders SET {key} = ? WHERE id = ?"  # noqa: S608
                    api.store.db.execute(sql, (data[key], order["id"]))
            order = api.store.order(order["id"]) or order
        return json_response(order, 201)

    @router.route("GET", "/api/v1/orders/{order_id}")
    async def get_order(request: AppRequest) -> AppResponse:
        return json_response(own_order(request)[1])

    @router.route("PUT", "/api/v1/orders/{order_id}")
    async def update_order(request: AppRequest) -> AppResponse:
        _, order = own_order(request)
        data = api.body(request)
        note = data.get("note", order["note"])
        if not isinstance(note, str) or (api.secure and len(note) > 500):
            raise HttpError(422, "note must be a string of at most 500 characters")
        api.store.update_order(order["id"], int_field(data, "quantity", 1, 100), note)
        return json_response(api.store.order(order["id"]))

    @router.route("DELETE", "/api/v1/orders/{order_id}")
    async def delete_order(request: AppRequest) -> AppResponse:
        _, order = own_order(request)
        api.store.delete_order(order["id"])
        return AppResponse(204)

    @router.route("POST", "/api/v1/orders/{order_id}/coupon")
    async def apply_coupon(request: AppRequest) -> AppResponse:
        own_order(request)
        code = api.body(request).get("code")
        if not isinstance(code, str):
            raise HttpError(422, "code must be a string")
        try:
            percent = api.store.coupon_percent(code, unsafe=not api.secure)
        except Exception:
            percent = 0
        return json_response({"code": code, "percent": percent})

    @router.route("GET", "/api/v1/products")
    async def search(request: AppRequest) -> AppResponse:
        items = api.store.search_products(request.query.get("search", ""), page_size(request),
                                          unsafe=not api.secure)
        return json_response({"items": items, "count": len(items)})

    @router.route("GET", "/api/v1/products/{product_id}")
    async def product(request: AppRequest) -> AppResponse:
        raw = request.params["product_id"]
        if api.secure and not raw.isdigit():
            raise HttpError(404, "product not found")
        found = api.store.product(raw, unsafe=not api.secure)
        if found is None:
            raise HttpError(404, "product not found")
        return json_response(found)

    @router.route("GET", "/api/v1/products/{product_id}/reviews")
    async def reviews(request: AppRequest) -> AppResponse:
        raw = request.params["product_id"]
        items = api.store.reviews(int(raw)) if raw.isdigit() else []
        if not items and not api.secure:
            return AppResponse(204)  # planted: the spec promises 200 with an empty list
        return json_response({"items": items})

    @router.route("POST", "/api/v1/products/{product_id}/reviews")
    async def add_review(request: AppRequest) -> AppResponse:
        user = api.caller(request)
        data = api.body(request)
        text = data.get("text")
        if not isinstance(text, str) or (api.secure and len(text) > MAX_REVIEW):
            raise HttpError(422, f"text must be a string of at most {MAX_REVIEW} characters")
        raw = request.params["product_id"]
        if not raw.isdigit() or api.store.product(raw, unsafe=False) is None:
            raise HttpError(404, "product not found")
        review = api.store.add_review(int(raw), user["id"], int_field(data, "rating", 1, 5), text)
        return json_response(review, 201)
