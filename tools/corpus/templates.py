"""The registry of mail templates: id, split, receipt or not, and how to make one.

A template turns random facts into a `Draft` (see corpus.drafts). Templates in the "unseen"
split are written differently (other phrasing, labels and layouts); extension rules must never
be tuned on them.
"""

from __future__ import annotations

from corpus import lookalikes as la
from corpus import receipts as rc
from corpus.drafts import Template

TEMPLATES: tuple[Template, ...] = (
    Template("order-confirmation", "seen", True, rc.order_confirmation),
    Template("ride-receipt", "seen", True, rc.ride_receipt),
    Template("flight-receipt", "seen", True, rc.flight_receipt),
    Template("hotel-folio", "seen", True, rc.hotel_folio),
    Template("saas-invoice", "seen", True, rc.saas_invoice),
    Template("game-purchase", "seen", True, rc.game_purchase),
    Template("utility-bill", "seen", True, rc.utility_bill),
    Template("pharmacy-ereceipt", "seen", True, rc.pharmacy_ereceipt),
    Template("processor-receipt", "seen", True, rc.processor_receipt),
    Template("localized-order", "seen", True, rc.localized_order),
    Template("invoice-attached", "seen", True, rc.invoice_attached),
    Template("photo-forward", "seen", True, rc.photo_forward),
    Template("order-pending", "seen", True, rc.order_pending),
    Template("subscription-renewed", "seen", True, rc.subscription_renewed),
    Template("event-tickets", "seen", True, rc.event_tickets),
    Template("donation", "seen", True, rc.donation),
    Template("unseen-store-receipt", "unseen", True, rc.unseen_store_receipt),
    Template("unseen-localized-payment", "unseen", True, rc.unseen_localized_payment),
    Template("unseen-charge-summary", "unseen", True, rc.unseen_charge_summary),
    Template("unseen-narrative", "unseen", True, rc.unseen_narrative),
    Template("unseen-grid", "unseen", True, rc.unseen_grid),
    Template("unseen-no-date", "unseen", True, rc.unseen_no_date),
    Template("unseen-invoice-attached", "unseen", True, lambda r, a: rc.invoice_attached(r, a, "unseen")),
    Template("unseen-photo-forward", "unseen", True, lambda r, a: rc.photo_forward(r, a, "unseen")),
    Template("shipping-notice", "seen", False, la.shipping_notice),
    Template("delivery-notice", "seen", False, la.delivery_notice),
    Template("card-alert", "seen", False, la.card_alert),
    Template("trip-summary", "seen", False, la.trip_summary),
    Template("newsletter", "seen", False, la.newsletter),
    Template("promotion", "seen", False, la.promotion),
    Template("mailing-list", "seen", False, la.mailing_list),
    Template("personal", "seen", False, la.personal),
    Template("password-reset", "seen", False, la.password_reset),
    Template("payment-failed", "seen", False, la.payment_failed),
    Template("refund", "seen", False, la.refund),
    Template("renewal-reminder", "seen", False, la.renewal_reminder),
    Template("order-cancelled", "seen", False, la.order_cancelled),
    Template("bill-reminder", "seen", False, la.bill_reminder),
    Template("unseen-review-request", "unseen", False, la.unseen_review_request),
    Template("unseen-dispatch", "unseen", False, la.unseen_dispatch),
    Template("unseen-statement", "unseen", False, la.unseen_statement),
    Template("unseen-price-drop", "unseen", False, la.unseen_price_drop),
    Template("unseen-cart", "unseen", False, la.unseen_cart),
)


# Borderline templates: a few of them, not a tenth of the mailbox.
BORDERLINE_TEMPLATES = frozenset({"order-pending", "donation", "refund", "renewal-reminder", "bill-reminder"})
# Templates that need attachments to mean anything get picked only when attachments are on.
ATTACHMENT_TEMPLATES = frozenset(
    {"invoice-attached", "photo-forward", "unseen-invoice-attached", "unseen-photo-forward"}
)
