"""Demo plan: restrictions, bazaars in every status, agencies, a committee with follow-ups and a
published statistics snapshot."""

from datetime import time, timedelta

from bazaar.i18n import local_date
from bazaar.models import Category, Region
from bazaar.services import committees, restrictions, stalls, statistics
from bazaar.services.bazaars import interest, planning
from bazaar.services.demo.accounts import ids


def demo_bazaars(organiser, vendor_user, citizen, now):
    """Restrictions (one in force for Qom county, one lifted) and bazaars in every state."""

    regions = ids(Region)
    today = local_date(now)
    restrictions.record_restriction(
        organiser,
        restrictions.RestrictionData(
            body="ستاد استانی مدیریت بیماری قم",
            reference="۱۴۰۵/۳۱۲",
            decided_on=today - timedelta(days=20),
            region_id=regions["qom"],
            starts_on=today - timedelta(days=18),
            note="برگزاری هرگونه بازارچه و تجمع تا اطلاع ثانوی ممنوع است.",
        ),
        now=now,
    )
    lifted = restrictions.record_restriction(
        organiser,
        restrictions.RestrictionData(
            body="فرمانداری کهک",
            reference="۱۴۰۵/۸۸",
            decided_on=today - timedelta(days=40),
            region_id=regions["kahak"],
            starts_on=today - timedelta(days=38),
        ),
        now=now,
    )
    restrictions.lift_restriction(organiser, lifted.id, now=now)

    def bazaar(title, county, days, mode="first_come"):
        day = today + timedelta(days=days)
        data = planning.BazaarData(
            title=title,
            venue_name="بوستان علوی" if county == "qom" else "سالن اجتماعات شهر",
            venue_address="بلوار امین" if county == "qom" else "",
            county_id=regions[county],
            day=day,
            start=time(16, 0),
            end=time(21, 0),
            description="بازارچهٔ فروش محصولات مشاغل خانگی: غذا، شیرینی، ترشی و صنایع دستی.",
            applications_open_on=today - timedelta(days=5),
            applications_close_on=day - timedelta(days=3),
            allocation_mode=mode,
        )
        stall_types = [
            planning.StallTypeData("غرفهٔ غذا", 6, 300_000, True),
            planning.StallTypeData("میز صنایع دستی", 8, 150_000, False),
        ]
        created = planning.create_bazaar(organiser, data, stall_types, now=now)
        planning.publish_bazaar(organiser, created.id, now=now)
        return created

    held = bazaar("بازارچهٔ غذای خانگی قم — آذر", "qom", 21)
    bazaar("بازارچهٔ یلدا در قم", "qom", 28, mode="round")
    bazaar("بازارچهٔ مشاغل خانگی جعفرآباد", "jafarabad", 14)
    moved = bazaar("بازارچهٔ صنایع دستی سلفچگان", "salafchegan", 10)
    planning.reschedule_bazaar(
        organiser,
        moved.id,
        today + timedelta(days=17),
        time(15, 0),
        time(20, 0),
        "هم‌زمانی با مراسم شهر",
        now=now,
    )
    cancelled = bazaar("بازارچهٔ کهک", "kahak", 12)
    planning.cancel_bazaar(organiser, cancelled.id, "محل برگزاری در دسترس نیست.", now=now)
    interest.subscribe(held.id, now=now, user=citizen)
    neighbour, _created = interest.subscribe(held.id, now=now, email="neighbour@bazaar.example")
    interest.confirm_interest(neighbour.confirm_token, now=now)
    food = next(s for s in held.stall_types if s.is_food)
    categories = ids(Category)
    stalls.apply_for_stall(
        vendor_user, held.id, food.id, [categories["pickles"]], "ترشی و مربای خانگی", now=now
    )
    return held


AGENCIES = [
    ("جهاد دانشگاهی استان قم (دبیرخانه)", "University Jihad of Qom (secretariat)"),
    (
        "ادارهٔ کل تعاون، کار و رفاه اجتماعی",
        "Directorate of Cooperatives, Labour and Social Welfare",
    ),
    ("شبکهٔ بهداشت و درمان", "Health network"),
    ("اتاق بازرگانی قم", "Qom Chamber of Commerce"),
]


def demo_committees(admin, organiser, held, now):
    """Agencies, a committee with a meeting whose decisions made follow-ups, and a snapshot."""

    agencies = [
        committees.save_agency(admin, name_fa=fa, name_en=en, now=now) for fa, en in AGENCIES
    ]
    committees.set_agency(admin, admin.id, agencies[0].id, now=now)
    committees.set_agency(admin, organiser.id, agencies[1].id, now=now)
    committee = committees.create_committee(
        admin,
        name="کمیتهٔ بازارچه‌ها و نمایشگاه‌ها",
        mandate="برنامه‌ریزی بازارچه‌های مشاغل خانگی، پیگیری مجوز برگزاری و آماده‌سازی محل‌ها.",
        chair_id=admin.id,
        member_ids=[organiser.id],
        now=now,
    )
    today = local_date(now)
    park = {
        "title": "هماهنگی با شهرداری برای بوستان علوی",
        "responsible_id": organiser.id,
        "due_on": today + timedelta(days=2),
        "bazaar_id": held.id,
    }
    health = {
        "title": "تهیهٔ فهرست شناسه‌های بهداشتی",
        "responsible_id": admin.id,
        "due_on": today - timedelta(days=1),
    }
    committees.record_meeting(
        admin,
        committee.id,
        held_on=today - timedelta(days=7),
        attendee_ids=[admin.id, organiser.id],
        minutes="بررسی وضعیت بازارچه‌های در تعلیق و آمادگی برای برگزاری پس از رفع محدودیت.",
        decisions=[
            ("بوستان علوی برای برگزاری بازارچه پس از رفع محدودیت آماده شود.", [park]),
            ("فهرست فروشندگان دارای شناسهٔ بهداشتی معتبر تهیه شود.", [health]),
        ],
        now=now,
    )
    statistics.publish_snapshot(admin, note="آمار پایهٔ آذر ۱۴۰۵", now=now)
