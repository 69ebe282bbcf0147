"""The hotline's fixed prompts: key -> the Vietnamese sentence espeak-ng reads (ADR 26).

The audio is Vietnamese only (voice `vi`), so the sentences are written here in Vietnamese, like
the seeded notification texts (notify/defaults.py). A recording named `<key>.wav` in
HOTLINE_RECORDINGS_DIR replaces the synthesised one. Pure module (no Django).
"""

PROMPTS: dict[str, str] = {
    "welcome": "Xin chào, đây là tổng đài trả lời tự động về thủ tục hành chính.",
    "menu_main": (
        "Để nghe tình trạng hồ sơ, xin bấm phím một. Để nghe thời hạn và phí của một thủ tục, "
        "bấm phím hai. Để gặp cán bộ, bấm phím không."
    ),
    "ask_number": (
        "Xin nhập số tra cứu qua điện thoại in trên phiếu hẹn hoặc trong tin nhắn, "
        "rồi bấm phím thăng. Bấm phím sao để quay lại."
    ),
    "ask_pin": "Xin nhập mã tra cứu sáu chữ số in trên phiếu hẹn, rồi bấm phím thăng.",
    "number_invalid": "Số tra cứu vừa nhập không hợp lệ.",
    "not_found": "Số tra cứu hoặc mã tra cứu không đúng.",
    "locked": (
        "Đã nhập sai quá nhiều lần. Xin gọi lại sau mười lăm phút, hoặc liên hệ bộ phận một cửa."
    ),
    "status_submitted": "Hồ sơ của ông bà đã được nộp trực tuyến và đang chờ tiếp nhận.",
    "status_in_progress": "Hồ sơ của ông bà đang được giải quyết.",
    "status_supplement_requested": "Hồ sơ của ông bà cần bổ sung giấy tờ.",
    "status_result_ready": "Hồ sơ của ông bà đã có kết quả, mời ông bà đến nhận.",
    "status_returned": "Hồ sơ của ông bà đã được trả kết quả.",
    "status_refused": "Hồ sơ của ông bà đã bị từ chối tiếp nhận.",
    "status_stopped": "Hồ sơ của ông bà đã dừng giải quyết.",
    "status_cancelled": "Hồ sơ của ông bà đã được hủy.",
    "current_step": "Bước đang giải quyết là",
    "due": "Hẹn trả kết quả lúc",
    "bring": "Xin mang theo",
    "bring_result": "Khi đến nhận kết quả, xin mang theo phiếu hẹn và giấy tờ tùy thân.",
    "ask_procedure": (
        "Xin nhập mã số của thủ tục trong danh mục, bỏ qua dấu chấm, rồi bấm phím thăng. "
        "Bấm phím sao để quay lại."
    ),
    "procedure_unknown": "Không có thủ tục mang mã số này.",
    "procedure": "Thủ tục",
    "limit": "Thời hạn giải quyết",
    "same_day": "trong ngày",
    "fee": "Phí và lệ phí",
    "no_fee": "Thủ tục này không thu phí, lệ phí.",
    "after_answer": (
        "Để nghe lại, bấm phím một. Để quay lại, bấm phím sao. Để gặp cán bộ, bấm phím không."
    ),
    "invalid": "Phím vừa bấm không hợp lệ.",
    "no_input": "Tổng đài chưa nhận được phím nào.",
    "transferring": "Xin chờ trong giây lát, tổng đài đang chuyển máy đến cán bộ.",
    "office_closed": (
        "Hiện ngoài giờ làm việc. Xin gọi lại trong giờ hành chính, từ thứ hai đến thứ sáu."
    ),
    "goodbye_wrong": "Xin lỗi, tổng đài chưa nhận được lựa chọn hợp lệ. Xin cảm ơn và hẹn gặp lại.",
    "goodbye": "Xin cảm ơn ông bà đã gọi. Xin chào.",
}
