"""Training-time mapping of public intent labels onto the default topic taxonomy.

Bitext and Banking77 label customer requests by fine intent; the shipped topic head learns the
coarse topics below. Topics without training data here (defective product, agent conduct)
are served by the taxonomy's keywords alone.
"""

from __future__ import annotations

HEAD_TOPICS: tuple[str, ...] = (
    "billing and payments",
    "refund",
    "delivery and shipping",
    "account and access",
    "order or booking changes",
    "subscription and cancellation",
    "technical problem",
    "policy and terms",
    "other",
)
OTHER_FROM_GOEMOTIONS = 3000

_BITEXT = {
    "billing and payments": "check_invoice get_invoice check_payment_methods payment_issue",
    "refund": "get_refund track_refund check_refund_policy",
    "delivery and shipping": "track_order delivery_period delivery_options "
    "change_shipping_address set_up_shipping_address",
    "account and access": "create_account delete_account edit_account switch_account "
    "recover_password registration_problems",
    "order or booking changes": "cancel_order change_order place_order",
    "subscription and cancellation": "newsletter_subscription check_cancellation_fee",
    "other": "review contact_customer_service contact_human_agent",
}
_BANKING = {
    "refund": "request_refund Refund_not_showing_up reverted_card_payment?",
    "delivery and shipping": "card_arrival card_delivery_estimate",
    "account and access": "edit_personal_details passcode_forgotten pin_blocked change_pin "
    "verify_my_identity unable_to_verify_identity why_verify_identity terminate_account "
    "lost_or_stolen_phone compromised_card lost_or_stolen_card",
    "technical problem": "card_not_working contactless_not_working virtual_card_not_working "
    "card_swallowed apple_pay_or_google_pay",
    "policy and terms": "age_limit country_support fiat_currency_support "
    "supported_cards_and_currencies visa_or_mastercard top_up_limits disposable_card_limits "
    "verify_source_of_funds beneficiary_not_allowed",
}


def _invert(table: dict[str, str]) -> dict[str, str]:
    return {intent: topic for topic, intents in table.items() for intent in intents.split()}


BITEXT_TOPICS = _invert(_BITEXT)  # the "complaint" intent has no topic and is left out
BANKING_TOPICS = _invert(_BANKING)  # every other banking intent is billing and payments
