# language: ja
機能: 一時停止 — 支払い方法に購入者の対応が必要
  Charge PermissionがNonChargeableの間、セラーセントラルで取引は一時停止（Suspended）と表示される。
  次の請求には購入者が支払い方法を更新する必要があり、更新すると再びオープンになる。
  （ガイドに例はなく、これはプロジェクトの決定D-SUSPENDEDである。）

  @charge @decline @payment-method
  シナリオ: ハードディクラインで取引は一時停止し、購入者が支払い方法を更新するまで続く
    前提 購入者が注文の5,000円の決済を完了している(支払いインテントConfirm)
    かつ Amazonが注文の次のオーソリをHardDeclinedで拒否する
    もし 加盟店が注文に5,000円を追加で請求する
    ならば 加盟店がエラーHardDeclinedを受け取っていること
    かつ セラーセントラルで注文が一時停止と表示されること
    かつ 注文のCharge PermissionがNonChargeable(理由PaymentMethodInvalid)であること
    もし 購入者が支払い方法を更新する(カード末尾0005)
    ならば セラーセントラルで注文がオープンと表示されること
    かつ 注文のCharge PermissionがChargeable(理由なし)であること
    もし 加盟店が注文に5,000円を追加で請求する
    ならば 加盟店の注文の記録がオーソリ済みであること

  @charge @decline
  シナリオアウトライン: 一時停止するのはハードディクラインだけ: <reason>では取引は<status>
    前提 購入者が注文の5,000円の決済を完了している(支払いインテントConfirm)
    かつ Amazonが注文の次のオーソリを<reason>で拒否する
    もし 加盟店が注文に5,000円を追加で請求する
    ならば 加盟店がエラー<reason>を受け取っていること
    かつ 注文のChargeがDeclined(理由<reason>)であること
    かつ セラーセントラルで注文が<status>と表示されること

    例:
      | reason              | status |
      | HardDeclined        | 一時停止   |
      | SoftDeclined        | オープン   |
      | ProcessingFailure   | オープン   |
      | TransactionTimedOut | オープン   |
      | AmazonRejected      | クローズ   |

  @payment-method
  シナリオアウトライン: 支払い方法が<how>になると取引は一時停止
    前提 購入者が注文の5,000円の決済を完了している
    もし Amazonが注文の支払い方法を<how>にする
    ならば セラーセントラルで注文が一時停止と表示されること
    かつ 注文のCharge PermissionがNonChargeable(理由<reason>)であること
    もし 購入者が支払い方法を更新する
    ならば セラーセントラルで注文がオープンと表示されること

    例:
      | how  | reason               |
      | 無効   | PaymentMethodInvalid |
      | 期限切れ | PaymentMethodExpired |

  @pending
  シナリオ: 保留中のオーソリがハードディクラインになると30秒後に一時停止
    前提 加盟店が注文の決済を5,000円で開始する(保留オーソリ対応)
    かつ 購入者がAmazonで支払う(カード末尾4354)
    かつ 購入者が加盟店に戻る
    ならば セラーセントラルで注文がオープンと表示されること
    もし 30秒が経過する
    ならば 注文のChargeがDeclined(理由HardDeclined)であること
    かつ セラーセントラルで注文が一時停止と表示されること

  @pending
  シナリオ: Amazonは保留中のオーソリをすぐに拒否することがある
    前提 加盟店が注文の決済を5,000円で開始する(保留オーソリ対応)
    かつ 購入者がAmazonで支払う(カード末尾0701)
    かつ 購入者が加盟店に戻る
    もし Amazonが注文の保留中のオーソリをHardDeclinedで拒否する
    ならば 注文のChargeがDeclined(理由HardDeclined)であること
    かつ セラーセントラルで注文が一時停止と表示されること

  @close @payment-method
  シナリオ: 一時停止中の取引もクローズできる
    前提 購入者が注文の5,000円の決済を完了している(支払いインテントConfirm)
    かつ Amazonが注文の支払い方法を無効にする
    もし 加盟店が注文をクローズする
    ならば セラーセントラルで注文がクローズと表示されること
