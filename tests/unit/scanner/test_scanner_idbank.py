"""Unit: ids learned from answers fill the right path parameters, and only those."""

from __future__ import annotations

from bastion.scanner.context import with_references
from bastion.scanner.idbank import IdBank, resource_of


def test_resource_names_skip_self_segments_versions_and_ids() -> None:
    assert resource_of("/api/v1/users/me") == "user"
    assert resource_of("/api/v2/orders/42") == "order"
    assert resource_of("/categories") == "category"


def test_collection_ids_fill_their_item_parameter() -> None:
    bank = IdBank()
    bank.learn("/api/v1/orders", {"items": [{"id": 7, "product_id": 3}], "count": 1})
    assert bank.candidates("order_id", "/api/v1/orders/{order_id}") == ["7"]
    assert bank.candidates("product_id", "/api/v1/products/{product_id}") == ["3"]


def test_usernames_fill_username_parameters_not_ids() -> None:
    bank = IdBank()
    bank.learn("/api/v1/users/me", {"id": 1, "username": "alice"})
    assert bank.candidates("username", "/api/v1/users/{username}") == ["alice"]
    assert bank.candidates("user_id", "/api/v1/users/{user_id}") == ["1"]


def test_nested_objects_are_attributed_to_their_own_resource() -> None:
    bank = IdBank()
    bank.learn("/api/v1/users/me/export", {"user": {"id": 1}, "orders": [{"id": 9}]})
    assert bank.candidates("order_id", "/api/v1/orders/{order_id}") == ["9"]
    assert bank.candidates("user_id", "/api/v1/users/{user_id}") == ["1"]


def test_target_gets_the_spec_base_path_only_when_it_has_none() -> None:
    from bastion.scanner.spec import target_with_base

    assert target_with_base("http://127.0.0.1:8000", "/api/v3") == "http://127.0.0.1:8000/api/v3"
    assert target_with_base("http://127.0.0.1:8000/", "/api/v3") == "http://127.0.0.1:8000/api/v3"
    assert target_with_base("http://127.0.0.1:8000/other", "/api/v3") == "http://127.0.0.1:8000/other"
    assert target_with_base("http://127.0.0.1:8000", "") == "http://127.0.0.1:8000"


def test_keys_named_like_a_path_parameter_are_learned_as_ids() -> None:
    plain, aware = IdBank(), IdBank(keys=frozenset({"book_title"}))
    for bank in (plain, aware):
        bank.learn("/books", {"books": [{"book_title": "t1", "user": "bob"}]})
    assert plain.candidates("book_title", "/books/{book_title}") == []
    assert aware.candidates("book_title", "/books/{book_title}") == ["t1"]


def test_objects_that_name_the_identity_come_first() -> None:
    bank = IdBank(keys=frozenset({"book_title"}))
    bank.learn("/books", {"books": [{"book_title": "bobs", "user": "bob"}, {"book_title": "alices", "user": "alice"}]},
               owner="alice")
    assert bank.candidates("book_title", "/books/{book_title}") == ["alices", "bobs"]


def test_body_fields_naming_other_objects_get_ids_of_that_resource() -> None:
    bank = IdBank()
    bank.learn("/menu", [{"id": 3, "name": "soup"}, {"id": 4, "name": "pie"}])
    bank.learn("/dishes", [{"id": 8}])
    bank.learn("/discount-coupons", [{"id": 9}])
    assert bank.reference("menu_item_id") == "3"  # menu_item of /menu
    assert bank.reference("dish_id") == "8"  # /dishes
    assert bank.reference("coupon_id") == "9"  # discount-coupon
    assert bank.reference("owner_id") is None  # nothing learned for owners
    assert bank.reference("id") is None and bank.reference("username") is None  # not references


def test_an_optional_reference_the_scan_has_no_id_for_is_left_out_of_the_body() -> None:
    schema = {"type": "object", "required": ["items"], "properties": {
        "coupon_id": {"type": "integer"}, "items": {"type": "array", "items": {
            "type": "object", "required": ["menu_item_id"], "properties": {"menu_item_id": {"type": "integer"}}}}}}
    bank = IdBank()
    bank.learn("/menu", [{"id": 12}])
    body = with_references({"coupon_id": 1, "items": [{"menu_item_id": 1}]}, schema, (IdBank(), bank))
    assert body == {"items": [{"menu_item_id": 12}]}
    required_unknown = with_references({"items": [{"menu_item_id": 1}]}, schema, (IdBank(),))
    assert required_unknown == {"items": [{"menu_item_id": 1}]}  # required: the example stays
