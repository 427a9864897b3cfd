from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.LoginTotpView.as_view(), name="login_totp"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("choose/", views.ChooseMembershipView.as_view(), name="choose_membership"),
    path("switch/", views.SwitchMembershipView.as_view(), name="switch_membership"),
    path("security/", views.SecurityView.as_view(), name="security"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_new"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
]
