from django.urls import path

from portal import accounts, notices

app_name = "citizen"

urlpatterns = [
    path("dang-ky/", accounts.signup, name="signup"),
    path("xac-nhan/", accounts.confirm, name="confirm"),
    path("gui-lai-ma/", accounts.resend, name="resend"),
    path("dang-nhap/", accounts.signin, name="signin"),
    path("dang-xuat/", accounts.signout, name="signout"),
    path("quen-mat-khau/", accounts.forgot, name="forgot"),
    path("quen-mat-khau/dat-lai/", accounts.reset, name="reset"),
    path("ho-so/", accounts.profile, name="profile"),
    path("thong-bao/", notices.notices, name="notices"),
]
