"""schema.org JSON-LD for product and vendor pages."""

from bazaar.links import external_url

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
        "url": external_url("catalogue.vendor", vendor_id=vendor.id),
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
            external_url("catalogue.media", kind="products", name=photo.filename)
            for photo in item.photos
        ],
        "url": external_url("catalogue.product", product_id=item.id),
        "offers": {
            "@type": "Offer",
            "price": item.price_toman * 10,
            "priceCurrency": "IRR",
            "availability": AVAILABILITY[item.availability],
            "seller": seller,
        },
    }
