"""schema.org JSON-LD for product and vendor pages."""

from flask import url_for

AVAILABILITY = {
    "in_stock": "https://schema.org/InStock",
    "to_order": "https://schema.org/PreOrder",
    "unavailable": "https://schema.org/OutOfStock",
}


def local_business(vendor, language, province):
    """Describe a vendor as a schema.org LocalBusiness."""
    return {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": vendor.business_name,
        "description": vendor.description,
        "telephone": vendor.mobile,
        "address": {
            "@type": "PostalAddress",
            "addressLocality": vendor.county.name_in(language),
            "addressRegion": province,
            "addressCountry": "IR",
        },
        "url": url_for("catalogue.vendor", vendor_id=vendor.id, _external=True),
    }


def product(item, language, province):
    """Describe a product as a schema.org Product with an Offer (price in rials: toman × 10)."""
    seller = local_business(item.vendor, language, province)
    del seller["@context"]
    return {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": item.name,
        "description": item.description,
        "category": item.category.name_in(language),
        "image": [
            url_for("catalogue.media", kind="products", name=photo.filename, _external=True)
            for photo in item.photos
        ],
        "url": url_for("catalogue.product", product_id=item.id, _external=True),
        "offers": {
            "@type": "Offer",
            "price": item.price_toman * 10,
            "priceCurrency": "IRR",
            "availability": AVAILABILITY[item.availability],
            "seller": seller,
        },
    }
