"""The `listed` flag of products: shown in the public catalogue while their vendor is verified.

The catalogue reads the flag (indexed with the orders its pages sort by) instead of checking
every product's vendor in every query.
"""

from bazaar.extensions import db
from bazaar.models import Product, Vendor, VendorStatus


def relist_products(vendor_ids):
    """Recompute the `listed` flag of these vendors' products: listed while verified.

    The one place the flag is computed; call it in the transaction that changes a vendor's
    status or adds products.
    """
    db.session.flush()
    verified = db.select(Vendor.id).where(
        Vendor.id.in_(vendor_ids), Vendor.status == VendorStatus.VERIFIED.value
    )
    db.session.execute(
        db.update(Product)
        .where(Product.vendor_id.in_(vendor_ids))
        .values(listed=Product.vendor_id.in_(verified))
        .execution_options(synchronize_session="fetch")
    )
