"""The pages written for one kind of reader: parents and carers, and young people themselves. They sit at the
top of the site (/parents-and-carers/, /young-people/), outside "Worried about someone?"'s questions, but show
the same vetted contacts, signs and steps (portal.signposting.content and .matching)."""

from django.urls import path

from portal.signposting import views

app_name = "guides"

urlpatterns = [
    path("parents-and-carers/", views.parents_page, name="parents"),
    path("young-people/", views.young_people_page, name="young_people"),
]
