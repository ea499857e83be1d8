"""Impossible values are refused with a clear message, and nothing is written: people born in the
future or beyond a human life, negative sizes, amounts, quantities, thresholds and durations,
events recorded ahead of time."""

from datetime import date

import frappe
from frappe import _
from frappe.utils import add_days, add_to_date, add_years, getdate, now_datetime, today

from tolink.devtools.distribution import make_hub, receive
from tolink.devtools.factories import make_citizen, make_household, make_provider, uid
from tolink.devtools.vouchers import make_programme
from tolink.registry.codice_fiscale import generate
from tolink.registry.doctype.citizen.citizen import MAX_AGE_YEARS, ImpossibleBirthDateError
from tolink.tests.case import CommittingTestCase


def negative(doctype: str, field: str) -> str:
	return _("{0} cannot be negative.").format(_(frappe.get_meta(doctype).get_label(field)))


def in_future(doctype: str, field: str) -> str:
	return _("{0} cannot be in the future.").format(_(frappe.get_meta(doctype).get_label(field)))


class ImpossibleValuesCase(CommittingTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		self.org = make_provider()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def assert_refused(self, doc, message: str, exc=frappe.ValidationError):
		"""Saving doc fails with exactly this message and leaves no record behind."""
		before = frappe.db.count(doc.doctype)
		frappe.clear_messages()
		with self.assertRaises(exc) as ctx:
			doc.save() if not doc.is_new() else doc.insert()
		self.assertEqual(str(ctx.exception), message)
		self.assertEqual(frappe.db.count(doc.doctype), before)


class TestCitizenBirthDate(ImpossibleValuesCase):
	def citizen(self, **kw):
		return frappe.get_doc(
			{
				"doctype": "Citizen",
				"first_name": "Test",
				"last_name": f"Person {uid(4)}",
				"provider": self.org,
				**kw,
			}
		)

	def test_born_in_the_future_without_codice_fiscale(self):
		tomorrow = getdate(add_days(today(), 1))
		self.assert_refused(
			self.citizen(has_no_codice_fiscale=1, birth_date=tomorrow),
			_("The birth date {0} is in the future.").format(frappe.format(tomorrow, "Date")),
			ImpossibleBirthDateError,
		)

	def test_born_in_the_future_with_a_codice_fiscale(self):
		"""The codice fiscale gives one birth date; a typed one in the future is still refused."""
		tomorrow = getdate(add_days(today(), 1))
		cf = generate("Rossi", "Maria", date(1980, 5, 4), "F", "L219")
		self.assert_refused(
			self.citizen(codice_fiscale=cf, birth_date=tomorrow),
			_("The birth date {0} is in the future.").format(frappe.format(tomorrow, "Date")),
			ImpossibleBirthDateError,
		)

	def test_born_beyond_a_human_life(self):
		old = getdate(add_years(today(), -MAX_AGE_YEARS - 1))
		self.assert_refused(
			self.citizen(has_no_codice_fiscale=1, birth_date=old),
			_("The birth date {0} is more than {1} years ago: check it.").format(
				frappe.format(old, "Date"), MAX_AGE_YEARS
			),
			ImpossibleBirthDateError,
		)

	def test_an_existing_record_cannot_be_moved_to_the_future(self):
		person = make_citizen(self.org, has_no_codice_fiscale=1, birth_date="1970-01-01")
		tomorrow = getdate(add_days(today(), 1))
		person.birth_date = tomorrow
		with self.assertRaises(ImpossibleBirthDateError):
			person.save()
		self.assertEqual(str(frappe.db.get_value("Citizen", person.name, "birth_date")), "1970-01-01")

	def test_possible_dates_are_kept(self):
		for birth in (today(), add_years(today(), -MAX_AGE_YEARS + 1), "1950-06-15"):
			person = make_citizen(self.org, has_no_codice_fiscale=1, birth_date=birth)
			self.assertEqual(str(person.birth_date), str(birth))
		# derived from the codice fiscale
		cf = generate("Bianchi", "Luca", date(2001, 2, 3), "M", "L219")
		self.assertEqual(str(make_citizen(self.org, codice_fiscale=cf).birth_date), "2001-02-03")


class TestRegistryNumbers(ImpossibleValuesCase):
	def test_negative_isee(self):
		head = make_citizen(self.org)
		household = frappe.get_doc(
			{
				"doctype": "Household",
				"household_name": f"Nucleo {uid(4)}",
				"provider": self.org,
				"isee_value": -1,
				"members": [{"citizen": head.name, "relation": "Head of household", "is_active": 1}],
			}
		)
		self.assert_refused(household, negative("Household", "isee_value"))

	def test_negative_isee_on_an_existing_household(self):
		household = make_household(self.org, [make_citizen(self.org)], isee=4000)
		household.isee_value = -500
		with self.assertRaises(frappe.ValidationError):
			household.save()
		self.assertEqual(frappe.db.get_value("Household", household.name, "isee_value"), 4000)


class TestDistributionNumbers(ImpossibleValuesCase):
	def test_negative_low_stock_threshold(self):
		item = frappe.get_doc(
			{
				"doctype": "Aid Item",
				"item_name": f"Riso {uid(4)}",
				"unit": "kg",
				"category": "Food",
				"low_stock_threshold": -3,
			}
		)
		self.assert_refused(item, negative("Aid Item", "low_stock_threshold"))

	def test_negative_household_sizes_of_a_parcel_template(self):
		for field in ("min_household_size", "max_household_size"):
			template = frappe.get_doc(
				{
					"doctype": "Parcel Template",
					"template_name": f"Paniere {uid(4)}",
					field: -2,
					"items": [{"aid_item": "Pasta", "qty": 1}],
				}
			)
			self.assert_refused(template, negative("Parcel Template", field))

	def test_parcel_template_quantities(self):
		for qty in (0, -1):
			template = frappe.get_doc(
				{
					"doctype": "Parcel Template",
					"template_name": f"Paniere {uid(4)}",
					"items": [{"aid_item": "Pasta", "qty": qty}],
				}
			)
			self.assert_refused(template, _("Quantities must be positive."))

	def delivery(self, **kw):
		bank = make_provider(provider_type="Food Bank")
		hub = make_hub(bank).name
		receive(hub, "Pasta", 10)
		household = make_household(self.org, [make_citizen(self.org)])
		return frappe.get_doc(
			{
				"doctype": "Parcel Delivery",
				"hub": hub,
				"household": household.name,
				"items": [{"aid_item": "Pasta", "qty": 2}],
				**kw,
			}
		)

	def test_negative_quantity_handed_out(self):
		doc = self.delivery(items=[{"aid_item": "Pasta", "qty": -2}])
		self.assert_refused(doc, _("Row {0}: the quantity must be positive.").format(1))

	def test_delivery_in_the_future(self):
		doc = self.delivery(delivery_date=add_days(today(), 1))
		self.assert_refused(doc, in_future("Parcel Delivery", "delivery_date"))

	def test_stock_movement_in_the_future(self):
		hub = make_hub(make_provider(provider_type="Food Bank")).name
		doc = frappe.get_doc(
			{
				"doctype": "Stock Movement",
				"movement_type": "Receipt",
				"hub": hub,
				"source": "Food bank",
				"posting_datetime": add_to_date(now_datetime(), days=2),
				"items": [{"aid_item": "Pasta", "qty": 5}],
			}
		)
		self.assert_refused(doc, in_future("Stock Movement", "posting_datetime"))

	def test_stock_movement_negative_quantity(self):
		hub = make_hub(make_provider(provider_type="Food Bank")).name
		doc = frappe.get_doc(
			{
				"doctype": "Stock Movement",
				"movement_type": "Receipt",
				"hub": hub,
				"source": "Food bank",
				"items": [{"aid_item": "Pasta", "qty": -5}],
			}
		)
		self.assert_refused(doc, _("Row {0}: the quantity must be positive.").format(1))


class TestCarePathAndHelpline(ImpossibleValuesCase):
	def test_intake_in_the_future(self):
		doc = frappe.get_doc(
			{
				"doctype": "Intake",
				"citizen": make_citizen(self.org).name,
				"provider": self.org,
				"channel": "Front office",
				"intake_date": add_days(today(), 2),
				"needs": [{"need_category": "Food parcels", "urgency": "Medium"}],
			}
		)
		self.assert_refused(doc, in_future("Intake", "intake_date"))

	def call(self, **kw):
		return frappe.get_doc(
			{
				"doctype": "Helpline Call",
				"caller_type": "Anonymous",
				"reason": "Food",
				"triage": "Low",
				"provider": self.org,
				**kw,
			}
		)

	def test_helpline_call_times(self):
		self.assert_refused(self.call(duration_minutes=-4), _("The duration cannot be negative."))
		self.assert_refused(
			self.call(call_datetime=add_to_date(now_datetime(), hours=3)),
			in_future("Helpline Call", "call_datetime"),
		)
		start = add_to_date(now_datetime(), hours=-1)
		self.assert_refused(
			self.call(
				call_datetime=start,
				outcome="Callback scheduled",
				callback_due=add_to_date(start, hours=-2),
			),
			_("The callback cannot be due before the call."),
		)
		# a call just recorded, with a callback tomorrow, is fine
		call = self.call(outcome="Callback scheduled", callback_due=add_to_date(now_datetime(), days=1))
		call.insert()
		self.assertTrue(frappe.db.exists("Helpline Call", call.name))

	def test_support_session_times(self):
		citizen = make_citizen(self.org).name

		def session(**kw):
			return frappe.get_doc(
				{
					"doctype": "Support Session",
					"citizen": citizen,
					"risk_level": "Low",
					"provider": self.org,
					**kw,
				}
			)

		self.assert_refused(session(duration_minutes=-30), _("The duration cannot be negative."))
		self.assert_refused(
			session(session_datetime=add_to_date(now_datetime(), days=1)),
			in_future("Support Session", "session_datetime"),
		)

	def test_negative_review_interval(self):
		from tolink.devtools.rest import make_user

		cm = make_user(f"cm-{uid()}@values.test", ["Case Manager"], self.org)
		plan = frappe.get_doc(
			{
				"doctype": "Welfare Plan",
				"citizen": make_citizen(self.org).name,
				"case_manager": cm,
				"provider": self.org,
				"review_interval_days": -10,
			}
		)
		self.assert_refused(plan, negative("Welfare Plan", "review_interval_days"))


class TestVoucherNumbers(ImpossibleValuesCase):
	def test_programme_rules(self):
		for field in ("max_isee", "min_household_size", "max_household_size"):
			with self.assertRaises(frappe.ValidationError) as ctx:
				make_programme(self.org, **{field: -1})
			self.assertEqual(str(ctx.exception), negative("Voucher Programme", field))
		with self.assertRaises(frappe.ValidationError) as ctx:
			make_programme(self.org, min_household_size=4, max_household_size=2)
		self.assertEqual(str(ctx.exception), _("The minimum household size is above the maximum."))

	def test_voucher_balance_stays_within_its_value(self):
		"""Balances are set by the app's code; a save that breaks them is refused all the same."""
		from tolink.devtools.vouchers import issue, make_eligible_household

		programme = make_programme(self.org)
		household, _head = make_eligible_household(self.org)
		voucher = issue(programme.name, household.name, self.org)
		for balance in (voucher.value + 50, -1):
			voucher.reload()
			voucher.balance = balance
			with self.assertRaises(frappe.ValidationError) as ctx:
				voucher.save()
			self.assertEqual(
				str(ctx.exception),
				_("A voucher's value is positive and its balance between zero and that value."),
			)
		self.assertEqual(frappe.db.get_value("Voucher", voucher.name, "balance"), voucher.value)

	def test_redemption_amounts(self):
		from tolink.devtools.vouchers import issue, make_eligible_household, make_shop

		shop = make_shop()
		programme = make_programme(self.org, merchants=[shop])
		household, _head = make_eligible_household(self.org)
		voucher = issue(programme.name, household.name, self.org)

		def redemption(**kw):
			return frappe.get_doc(
				{
					"doctype": "Voucher Redemption",
					"voucher": voucher.name,
					"programme": programme.name,
					"merchant": shop,
					"redeemed_at": now_datetime(),
					"redeemed_by": "Administrator",
					"idempotency_key": uid(),
					**kw,
				}
			)

		self.assert_refused(redemption(amount=-5, balance_after=105), _("The amount must be positive."))
		self.assert_refused(
			redemption(amount=500, balance_after=-400),
			_("A redemption cannot take the voucher's balance below zero."),
		)


class TestSettingsNumbers(ImpossibleValuesCase):
	def test_negative_retention(self):
		settings = frappe.get_single("To Link Settings")
		for field in ("citizen_retention_months", "access_log_retention_months"):
			settings.reload()
			settings.set(field, -1)
			with self.assertRaises(frappe.ValidationError) as ctx:
				settings.save()
			self.assertEqual(str(ctx.exception), negative("To Link Settings", field))
