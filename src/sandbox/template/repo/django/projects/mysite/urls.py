from django.urls import path

from catmaid import views

urlpatterns = [
    path('', views.index, name='index'),
]
