"""Catalogue pages: browse and search, product and vendor pages, a vendor's own products."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from bazaar.access import role_required
from bazaar.catalogue import jsonld
from bazaar.catalogue.cards import filter_options, inquiry_fields, product_cards, selected
from bazaar.catalogue.forms import (
    AVAILABILITY_LABELS,
    ActionForm,
    InquiryForm,
    PhotoForm,
    ProductForm,
)
from bazaar.catalogue.page_cache import cached_for_visitors
from bazaar.errors import NotFound, Refused, TooLarge
from bazaar.forms import attach_error, category_choices
from bazaar.i18n import current_language
from bazaar.limits import per_client, per_target
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services import catalogue, images, search
from bazaar.services.vendors import get_public_vendor

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")


def _province():
    names = current_app.config["PROVINCE_NAME"]
    return names.get(current_language(), names["fa"])


def _arg_int(name):
    return request.args.get(name, type=int)


def _filters():
    sort = request.args.get("sort", "relevance")
    availability = request.args.get("availability") or None
    return catalogue.Filters(
        q=request.args.get("q", "")[:500],
        category_id=_arg_int("category"),
        field_id=_arg_int("field"),
        county_id=_arg_int("county"),
        vendor_id=_arg_int("vendor"),
        price_min=_arg_int("price_min"),
        price_max=_arg_int("price_max"),
        availability=availability if availability in AVAILABILITY_LABELS else None,
        sort=sort if sort in catalogue.SORTS else "relevance",
    )


@bp.get("/")
@cached_for_visitors
def index():
    filters = _filters()
    page = request.args.get("page", 1, type=int)
    pagination, terms = catalogue.browse_products(
        filters, page, current_app.config["ITEMS_PER_PAGE"]
    )
    vendors = catalogue.search_vendors(filters.q) if terms and page == 1 else []
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template(
        "catalogue/index.html",
        page_obj=pagination,
        filters=filters,
        terms=terms,
        vendors=vendors,
        args=args,
        options=filter_options(current_language()),
    )


@bp.get("/products/<int:product_id>")
def product(product_id):
    item = catalogue.get_public_product(product_id)
    return render_template(
        "catalogue/product.html",
        product=item,
        jsonld=jsonld.product(item, current_language(), _province()),
        is_favourite=catalogue.is_favourite(current_user, item.id),
        action_form=ActionForm(),
        inquiry_form=_inquiry_form(),
        availability_labels=AVAILABILITY_LABELS,
    )


def _inquiry_form():
    """The inquiry form, filled in with a signed-in person's name and mobile (or email)."""
    if current_user.is_authenticated:
        return InquiryForm(
            sender=current_user.name, contact=current_user.mobile or current_user.email
        )
    return InquiryForm()


def _inquiry_product(vendor):
    """The public product of `vendor` the inquiry was about (?product=), or None."""
    product_id = request.args.get("product", type=int)
    if product_id is None:
        return None
    try:
        item = catalogue.get_public_product(product_id)
    except NotFound:  # a stale or forged link: the inquiry still reaches the vendor
        return None
    return item if item.vendor_id == vendor.id else None


@bp.get("/vendors/<int:vendor_id>")
def vendor(vendor_id):
    item = get_public_vendor(vendor_id)
    pagination, _terms = catalogue.browse_products(
        catalogue.Filters(vendor_id=item.id, sort="newest"),
        request.args.get("page", 1, type=int),
        current_app.config["ITEMS_PER_PAGE"],
    )
    return render_template(
        "catalogue/vendor.html",
        vendor=item,
        jsonld=jsonld.local_business(item, current_language(), _province()),
        page_obj=pagination,
        is_following=catalogue.is_following(current_user, item.id),
        action_form=ActionForm(),
        inquiry_form=_inquiry_form(),
    )


@bp.post("/vendors/<int:vendor_id>/inquiry")
@per_client("INQUIRY_LIMIT_PER_IP")
@per_target("INQUIRY_LIMIT_PER_TARGET", lambda: request.view_args.get("vendor_id"))
def inquire(vendor_id):
    form = InquiryForm()
    item = get_public_vendor(vendor_id)
    about = _inquiry_product(item)
    if form.validate_on_submit():
        catalogue.send_inquiry(
            item.id,
            sender=form.sender.data,
            contact=form.contact.data,
            text=form.text.data,
            subject=request.args.get("about") or item.business_name,
            now=utcnow(),
            actor=current_user if current_user.is_authenticated else None,
        )
        flash(_("Your message was sent to the vendor. They will contact you."), "success")
        if about is not None:  # back to the product the message was about
            return redirect(url_for("catalogue.product", product_id=about.id))
        return redirect(url_for("catalogue.vendor", vendor_id=item.id))
    flash(_("Write your message and how the vendor can reach you."), "danger")
    if about is not None:
        return render_template(
            "catalogue/product.html",
            product=about,
            jsonld=jsonld.product(about, current_language(), _province()),
            is_favourite=catalogue.is_favourite(current_user, about.id),
            action_form=ActionForm(),
            inquiry_form=form,
            availability_labels=AVAILABILITY_LABELS,
        ), 400
    return render_template(
        "catalogue/vendor.html",
        vendor=item,
        jsonld=jsonld.local_business(item, current_language(), _province()),
        page_obj=catalogue.browse_products(catalogue.Filters(vendor_id=item.id), 1, 20)[0],
        is_following=catalogue.is_following(current_user, item.id),
        action_form=ActionForm(),
        inquiry_form=form,
    ), 400


@bp.post("/products/<int:product_id>/favourite")
@login_required
def favourite(product_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    saved = catalogue.toggle_favourite(current_user, product_id, now=utcnow())
    flash(
        _("Saved to your favourites.") if saved else _("Removed from your favourites."), "success"
    )
    return redirect(url_for("catalogue.product", product_id=product_id))


@bp.post("/vendors/<int:vendor_id>/follow")
@login_required
def follow(vendor_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    following = catalogue.toggle_follow(current_user, vendor_id, now=utcnow())
    flash(
        _("You follow this vendor.") if following else _("You no longer follow this vendor."),
        "success",
    )
    return redirect(url_for("catalogue.vendor", vendor_id=vendor_id))


@bp.get("/saved")
@login_required
def saved():
    return render_template(
        "catalogue/saved.html",
        products=catalogue.list_favourites(current_user),
        vendors=catalogue.list_followed(current_user),
    )


# --- a vendor's own products ---------------------------------------------------------------


def _product_form(product=None):
    form = ProductForm(obj=product)
    form.category_id.choices = category_choices(current_language())
    return form


def _product_data(form):
    return catalogue.ProductData(
        name=form.name.data,
        description=form.description.data,
        category_id=form.category_id.data,
        price_toman=form.price_toman.data,
        unit=form.unit.data,
        availability=form.availability.data,
    )


def _own_product_or_404(product_id):
    return catalogue.get_own_product(current_user, product_id)


@bp.get("/products/new")
@role_required(Role.VENDOR)
def create_form():
    return render_template("catalogue/edit.html", form=_product_form(), product=None)


@bp.post("/products/new")
@role_required(Role.VENDOR)
def create():
    form = _product_form()
    if form.validate_on_submit():
        try:
            item = catalogue.save_product(current_user, None, _product_data(form), now=utcnow())
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The product is saved. Add photos below."), "success")
            return redirect(url_for("catalogue.edit_form", product_id=item.id))
    return render_template("catalogue/edit.html", form=form, product=None), 400


@bp.get("/products/<int:product_id>/edit")
@role_required(Role.VENDOR)
def edit_form(product_id):
    item = _own_product_or_404(product_id)
    return render_template(
        "catalogue/edit.html",
        form=_product_form(item),
        product=item,
        photo_form=PhotoForm(),
        action_form=ActionForm(),
        max_photos=catalogue.MAX_PHOTOS,
    )


@bp.post("/products/<int:product_id>/edit")
@role_required(Role.VENDOR)
def update(product_id):
    item = _own_product_or_404(product_id)
    form = _product_form()
    if form.validate_on_submit():
        try:
            catalogue.save_product(current_user, item.id, _product_data(form), now=utcnow())
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The product is saved."), "success")
            return redirect(url_for("catalogue.edit_form", product_id=item.id))
    return render_template(
        "catalogue/edit.html",
        form=form,
        product=item,
        photo_form=PhotoForm(),
        action_form=ActionForm(),
        max_photos=catalogue.MAX_PHOTOS,
    ), 400


@bp.get("/products/<int:product_id>/delete")
@role_required(Role.VENDOR)
def delete_form(product_id):
    return render_template(
        "catalogue/delete.html", product=_own_product_or_404(product_id), form=ActionForm()
    )


@bp.post("/products/<int:product_id>/delete")
@role_required(Role.VENDOR)
def delete(product_id):
    item = _own_product_or_404(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    catalogue.delete_product(current_user, item.id, now=utcnow())
    flash(_("The product is deleted."), "success")
    return redirect(url_for("vendors.dashboard"))


@bp.post("/products/<int:product_id>/photos")
@role_required(Role.VENDOR)
def add_photo(product_id):
    item = _own_product_or_404(product_id)
    form = PhotoForm()
    if not form.validate_on_submit():
        flash(_("Choose a photo to upload."), "danger")
        return redirect(url_for("catalogue.edit_form", product_id=item.id))
    try:
        catalogue.add_photo(current_user, item.id, form.photo.data.read(), now=utcnow())
    except TooLarge:
        abort(413)
    except Refused as error:
        flash(error.message, "danger")
    else:
        flash(_("The photo is added."), "success")
    return redirect(url_for("catalogue.edit_form", product_id=item.id))


@bp.post("/products/<int:product_id>/photos/<int:photo_id>/<any(delete, earlier, later):action>")
@role_required(Role.VENDOR)
def change_photo(product_id, photo_id, action):
    item = _own_product_or_404(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if action == "delete":
        catalogue.delete_photo(current_user, item.id, photo_id, now=utcnow())
    else:
        catalogue.move_photo(
            current_user, item.id, photo_id, -1 if action == "earlier" else 1, now=utcnow()
        )
    return redirect(url_for("catalogue.edit_form", product_id=item.id))


@bp.get("/media/<any(products, logos):kind>/<name>")
def media(kind, name):
    response = send_from_directory(
        images.uploads_dir(kind), name, mimetype="image/jpeg", max_age=7 * 24 * 3600
    )
    response.headers["Content-Disposition"] = "inline"
    return response


bp.add_app_template_global(product_cards, "product_cards")
bp.add_app_template_global(inquiry_fields, "inquiry_fields")
bp.add_app_template_filter(selected, "selected")


@bp.app_template_filter("highlight")
def highlight_filter(value, terms):
    return search.highlight(value, terms)
